export declare const ROOT: string;
export declare const COMPILED_STAMP: string;
export declare const COMPILED_FROM: string[];
export declare function newest(file: string): number;
export declare function compiledIsFresh(): boolean;
