// Property: the sender job (runSenderTurn over the reference store), against a gateway that answers at
// random and a process that dies at random points, never sends a message twice, keeps to its rate, and
// leaves every message in a final state when it completes (campaign-store.contract.ts).
import { describeSenderProperty, openInMemoryStore } from './campaign-store.contract';

describeSenderProperty('the in-memory reference store', () => openInMemoryStore, 200);
