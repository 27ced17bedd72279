// DataError: a data file or prepared artifact that is missing, malformed or corrupt (a shard
// whose sha256 does not match its manifest, an Arrow file that does not parse, a JSONL line
// that is not JSON). Bad *arguments* stay ConfigError; unknown names UnknownComponentError.
import { DlmError } from '@dlm/core';

export class DataError extends DlmError {}
