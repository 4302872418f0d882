// The verified custom domains in memory (domain → ISP): what Host routing and the TLS ask endpoint read,
// so neither makes a database round trip per request. One table per platform database.
import type { Databases } from '@kiunga/schemas';
import type { ApiDependencies } from '../../kernel/dependencies';
import type { VerifiedDomains } from './core';
import { listVerifiedDomains } from './store';

/**
 * With several API nodes, a domain verified on one is served by the others within this long (as the NAS
 * registry reloads); the node that verified it reloads at once.
 */
export const VERIFIED_DOMAINS_RELOAD_MS = 5_000;

export interface DomainRegistry {
  /** The table, loaded on first use; a table older than VERIFIED_DOMAINS_RELOAD_MS is reloaded behind. */
  verifiedDomains(): Promise<VerifiedDomains>;
  /** Reads the table again now (after a domain became verified or stopped being). */
  reload(): Promise<void>;
}

const registries = new WeakMap<Databases, DomainRegistry>();

function createDomainRegistry(
  dependencies: Pick<ApiDependencies, 'databases' | 'clock' | 'logger'>,
): DomainRegistry {
  let table: VerifiedDomains | null = null;
  let loadedAtMs = 0;
  let loading: Promise<void> | null = null;
  const reload = (): Promise<void> => {
    const started = dependencies.clock.now();
    loading ??= listVerifiedDomains(dependencies.databases.platform)
      .then((loaded) => {
        table = loaded;
        loadedAtMs = started;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  };
  return {
    async verifiedDomains() {
      if (table === null) await reload();
      else if (dependencies.clock.now() - loadedAtMs >= VERIFIED_DOMAINS_RELOAD_MS)
        reload().catch((error: unknown) =>
          dependencies.logger.warn({ err: error }, 'verified domains not reloaded'),
        );
      return table ?? new Map();
    },
    // A load already under way may have read the table before the change: read it once more after it.
    async reload() {
      await loading?.catch(() => undefined);
      await reload();
    },
  };
}

/** The registry of this set of databases (one per app; tests each have their own). */
export function domainRegistryOf(
  dependencies: Pick<ApiDependencies, 'databases' | 'clock' | 'logger'>,
): DomainRegistry {
  let registry = registries.get(dependencies.databases);
  if (!registry) {
    registry = createDomainRegistry(dependencies);
    registries.set(dependencies.databases, registry);
  }
  return registry;
}

/** Kiunga's own host names: the host of KIUNGA_PUBLIC_URL, and `localhost` (the operator on the box). */
export function platformHostsOf(dependencies: Pick<ApiDependencies, 'publicUrl'>): string[] {
  return [new URL(dependencies.publicUrl).hostname.toLowerCase(), 'localhost'];
}
