// Generates the typed client's paths from an OpenAPI document, as a portal's build would:
//   node generate.mjs <openapi.json> <out.d.ts>
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const [input = '../../docs/openapi.json', output = 'generated/berth.d.ts'] = process.argv.slice(2);
// defaultNonNullable: false — openapi-typescript 7 otherwise makes request fields that have a
// default required (openapi-ts/openapi-typescript#2012); the document marks them optional.
const ast = await openapiTS(JSON.parse(await readFile(input, 'utf8')), { defaultNonNullable: false });
await mkdir(dirname(output), { recursive: true });
await writeFile(output, astToString(ast));
