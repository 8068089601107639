import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Error messages and stack traces can quote CSV values (a phone number, a name): with payload encryption on, they
 * travel as an encoded payload, which the payload codec then encrypts like any other. Loaded by path
 * (`failureConverterPath`) because it also runs inside the workflow bundle, so it imports nothing but the SDK.
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
