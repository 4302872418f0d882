// The shared SessionStore behaviour, held by the in-memory table behind its asynchronous adapter.
import { InMemorySessionStore } from './in-memory-session-store';
import { InMemorySessionTable } from './in-memory-session-table';
import { describeSessionStoreContract } from './testing/session-store-cases';

describeSessionStoreContract('InMemorySessionStore', async (options = {}) => {
  const table = new InMemorySessionTable({
    openSessionsMax: options.openSessionsMax,
    pendingSlotsMax: options.pendingSlotsMax,
  });
  const store = new InMemorySessionStore({ table, openSessions: options.openSessions });
  await store.ensureRebuilt();
  return store;
});
