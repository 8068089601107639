export { validateCampaignCsv } from './validate-campaign-csv';
export type { CsvSummary } from './validate-campaign-csv';
export { CsvValidationError, describeProblem } from './errors';
export type { CsvProblem } from './errors';
export { isCountryCode } from './country-code';
export type { CountryCode } from './country-code';
