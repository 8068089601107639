// The workflow bundle's entry: every workflow the worker registers, and nothing with side effects.
export { batchCampaign } from './batch-campaign';
export { outreachCampaign } from './outreach-campaign';
