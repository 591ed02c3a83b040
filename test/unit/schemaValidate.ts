import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';

export const REPORT_SCHEMA_PATH = path.resolve(__dirname, '../../report.schema.json');

/** The shipped schema, parsed once; tests read its enums and shapes from here. */
export const reportSchema = JSON.parse(fs.readFileSync(REPORT_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;

// strict: a typo in the schema (unknown keyword, ignored constraint) fails loudly instead of validating nothing.
// discriminator: the Trigger oneOf then reports only the errors of the variant its `type` selects.
const ajv = new Ajv2020({ strict: true, allErrors: true, discriminator: true });
let compiled: ValidateFunction | undefined;

/**
 * Throws unless the report, as `--format json` would write it, matches report.schema.json. Call it on every report a
 * test produces: the schema is the public contract, and this keeps the code and the schema from drifting apart.
 */
export function validateReport<T>(report: T): T {
  compiled ??= ajv.compile(reportSchema);
  // The contract is the JSON text: validate what JSON.stringify writes (undefined-valued keys vanish, NaN becomes null).
  const json: unknown = JSON.parse(JSON.stringify(report) ?? 'null');
  if (!compiled(json)) {
    const errors = ajv.errorsText(compiled.errors, { dataVar: 'report', separator: '\n  ' });
    throw new Error(`report does not match report.schema.json:\n  ${errors}`);
  }
  return report;
}
