import type { FastifyServerOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']
>;

/**
 * Every route of both servers validates its input and serialises its answers with its own zod
 * schemas. Given as Fastify's compiler factories (not set after the instance is made), so that
 * Fastify never loads its default compilers, ajv and fast-json-stringify, which no route uses
 * (docs/performance.md, item 7). Fastify types its factories after ajv's; at run time a factory
 * returns what `setValidatorCompiler` and `setSerializerCompiler` take, as these do.
 */
export const zodSchemaController: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildValidator: (() => validatorCompiler) as unknown as CompilersFactory['buildValidator'],
    buildSerializer: (() => serializerCompiler) as unknown as CompilersFactory['buildSerializer'],
  },
};
