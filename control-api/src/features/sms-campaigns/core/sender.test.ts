// The sender job's turn over the reference in-memory store, on a clock that moves only when told: the
// store contract (campaign-store.contract.ts), which the SQL store passes too.
import { describeCampaignStoreContract, openInMemoryStore } from './campaign-store.contract';

describeCampaignStoreContract('in-memory reference', () => openInMemoryStore);
