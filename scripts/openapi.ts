import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openApiDocument, serialise } from '../src/openapi-document.js';
import { PROJECT_ROOT } from '../src/util/paths.js';

// `npm run openapi`: writes docs/openapi.json from the routes' zod schemas.
const { document } = await openApiDocument();
const file = path.join(PROJECT_ROOT, 'docs', 'openapi.json');
await writeFile(file, serialise(document));
process.stdout.write(`${file} written\n`);
