// What ops (the benchmark) may use of the SMS campaign integration: the SQL store and the sender's loop.
export { insertCampaign, SqlCampaignStore } from './campaign-store';
export { gatewaySender, sendCampaign } from './sender.job';
export { campaignTotals } from './store';
