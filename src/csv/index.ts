export { validateCampaignCsv } from './validate-campaign-csv';
export type { CsvSummary, ValidateCampaignCsvOptions } from './validate-campaign-csv';
export { CsvValidationError, describeProblem } from './errors';
export type { CsvProblem, CsvValidationDetails } from './errors';
export type { DuplicatePolicy } from './row-checker';
export { contactNumberColumn } from './header';
export { isCountryCode } from './country-code';
export type { CountryCode } from './country-code';
