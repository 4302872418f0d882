// Reseller pages: the reseller's own console (/reseller, phone-first, plain forms that work without
// JavaScript) and the ISP console's Resellers page (/isp/resellers).
import { formatKsh, type PlanOutput } from '@kiunga/schemas';
import { CsrfField, Empty, formatDateTime } from '../../console/components';
import { type ConsoleShell, Layout } from '../../console/layout';
import type { StockPricingMode } from './core';
import type { CommissionRow, StockPurchaseRow } from './store';

export interface ResellerView {
  id: string;
  code: string;
  name: string;
  phone: string;
  parentId: string | null;
  depth: number;
  status: string;
  walletCents: number;
  commissionOwedCents: number;
  stockSoldCount: number;
  stockUnsoldCount: number;
}

export interface CommissionRuleView {
  planId: string | null;
  level: number;
  percentBasisPoints: number | null;
  fixedCents: number | null;
}

function ShillingsField(props: { name: string; label: string }) {
  return (
    <label>
      {props.label}
      <input type="number" name={props.name} min="1" step="1" inputmode="numeric" required />
    </label>
  );
}

/** Who a new reseller is: its name, the email it signs in with, and its phone (on its sheets). */
function ResellerIdentityFields() {
  return (
    <>
      <label>
        Name
        <input type="text" name="name" required maxlength={120} />
      </label>
      <label>
        Email (to sign in)
        <input type="email" name="email" required />
      </label>
      <label>
        Phone
        <input type="tel" name="phone" required />
      </label>
    </>
  );
}

function PlanSelect(props: { plans: PlanOutput[] }) {
  return (
    <label>
      Package
      <select name="planId" required>
        {props.plans.map((plan) => (
          <option value={plan.id}>
            {plan.name} · {formatKsh(plan.priceCents)}
          </option>
        ))}
      </select>
    </label>
  );
}

export function CodesSection(props: { resellerId: string; batchId: string; codes: string[] }) {
  const sheet = `/api/v1/resellers/${props.resellerId}/stock/${props.batchId}/sheet`;
  return (
    <section id="new-codes">
      <h2>Your new vouchers</h2>
      <ul>
        {props.codes.map((code) => (
          <li class="code" data-code={code}>
            {code}
          </li>
        ))}
      </ul>
      <p>
        <a href={sheet}>Print sheet</a> · <a href={`${sheet}?format=pdf`}>PDF</a>
      </p>
    </section>
  );
}

/** The reseller's whole console on one page: what a kiosk needs on a small phone, top to bottom. */
export function ResellerHomePage(props: {
  shell: ConsoleShell;
  reseller: ResellerView;
  portalLink: string;
  plans: PlanOutput[];
  stock: StockPurchaseRow[];
  commissions: { items: CommissionRow[]; totals: { amountCents: number } };
  subResellers: ResellerView[];
  canCreateSubResellers: boolean;
  /** Tier 2 with SMS: the "Sell by SMS" form. */
  canSellBySms: boolean;
  newCodes?: { batchId: string; codes: string[] } | undefined;
}) {
  const { reseller, shell } = props;
  const statement = `/api/v1/resellers/${reseller.id}/statement`;
  return (
    <Layout title={reseller.name} shell={shell}>
      <h1>{reseller.name}</h1>
      {props.newCodes ? <CodesSection resellerId={reseller.id} {...props.newCodes} /> : null}
      <section id="wallet">
        <p>
          Wallet <b data-wallet-cents={reseller.walletCents}>{formatKsh(reseller.walletCents)}</b>
        </p>
        <p>
          Commission owed{' '}
          <b data-owed-cents={reseller.commissionOwedCents}>{formatKsh(reseller.commissionOwedCents)}</b>
        </p>
        <p class="muted">
          Your code <b>{reseller.code}</b> · portal link <a href={props.portalLink}>{props.portalLink}</a>
        </p>
      </section>
      <section>
        <h2>Top up by M-Pesa</h2>
        <form method="post" action="/reseller/topups" id="topup">
          <CsrfField token={shell.csrfToken} />
          <ShillingsField name="shillings" label="Amount (Ksh)" />
          <label>
            M-Pesa number
            <input type="tel" name="phone" value={reseller.phone} required autocomplete="tel" />
          </label>
          <button type="submit">Send M-Pesa request</button>
        </form>
      </section>
      <section>
        <h2>Buy vouchers</h2>
        <form method="post" action="/reseller/stock" id="buy-stock">
          <CsrfField token={shell.csrfToken} />
          <PlanSelect plans={props.plans} />
          <label>
            How many
            <input type="number" name="count" min="1" max="1000" value="10" inputmode="numeric" required />
          </label>
          <button type="submit">Buy from wallet</button>
        </form>
      </section>
      {props.canSellBySms ? (
        <section id="sell-by-sms">
          <h2>Sell by SMS</h2>
          <p class="muted">
            {reseller.stockUnsoldCount} vouchers to sell · {reseller.stockSoldCount} sold by SMS
          </p>
          <form method="post" action="/reseller/sell">
            <CsrfField token={shell.csrfToken} />
            <PlanSelect plans={props.plans} />
            <label>
              Buyer’s phone
              <input type="tel" name="phone" required autocomplete="off" placeholder="0712 345 678" />
            </label>
            <button type="submit">Send the code</button>
          </form>
        </section>
      ) : null}
      <section>
        <h2>Stock bought</h2>
        {props.stock.length === 0 ? (
          <Empty>No vouchers bought yet.</Empty>
        ) : (
          <ul>
            {props.stock.map((purchase) => (
              <li>
                {formatDateTime(purchase.createdAt)} · {purchase.count} × {formatKsh(purchase.unitCostCents)}{' '}
                · <a href={`/api/v1/resellers/${reseller.id}/stock/${purchase.batchId}/sheet`}>Print</a>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section id="commissions">
        <h2>Commissions this month: {formatKsh(props.commissions.totals.amountCents)}</h2>
        {props.commissions.items.length === 0 ? (
          <Empty>No commissions this month yet.</Empty>
        ) : (
          <ul>
            {props.commissions.items.map((item) => (
              <li>
                {formatDateTime(item.settledAt)} · {item.saleKind === 'portal' ? 'Portal sale' : 'Stock'} ·
                level {item.level} · {formatKsh(item.amountCents)}
              </li>
            ))}
          </ul>
        )}
        <p>
          Statement: <a href={`${statement}?format=csv`}>CSV</a> · <a href={`${statement}?format=pdf`}>PDF</a>
        </p>
      </section>
      <section id="sub-resellers">
        <h2>Sub-resellers</h2>
        {props.subResellers.length === 0 ? (
          <Empty>None yet.</Empty>
        ) : (
          <ul>
            {props.subResellers.map((sub) => (
              <li>
                {sub.name} · {sub.code} · wallet {formatKsh(sub.walletCents)}
              </li>
            ))}
          </ul>
        )}
        {props.canCreateSubResellers ? (
          <form method="post" action="/reseller/sub-resellers">
            <CsrfField token={shell.csrfToken} />
            <ResellerIdentityFields />
            <button type="submit">Add sub-reseller</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}

/** A pending top-up refreshes itself until M-Pesa answers (no JavaScript needed). */
export function TopUpPage(props: {
  shell: ConsoleShell;
  status: 'pending' | 'paid' | 'failed';
  amountCents: number;
  message?: string | undefined;
}) {
  return (
    <Layout title="Top-up" shell={props.shell}>
      {props.status === 'pending' ? <meta http-equiv="refresh" content="3" /> : null}
      <h1>Top-up of {formatKsh(props.amountCents)}</h1>
      <p id="topup-status" data-status={props.status}>
        {props.status === 'pending'
          ? 'Check your phone and enter your M-Pesa PIN. This page updates by itself.'
          : props.status === 'paid'
            ? 'Paid: your wallet is topped up.'
            : (props.message ?? 'M-Pesa could not complete the payment.')}
      </p>
      <p>
        <a href="/reseller">Back to the wallet</a>
      </p>
    </Layout>
  );
}

function ruleText(rule: CommissionRuleView): string {
  return rule.fixedCents === null ? `${(rule.percentBasisPoints ?? 0) / 100} %` : formatKsh(rule.fixedCents);
}

/** The ISP's Resellers page: list, create, record cash top-ups and payouts, and the commission rules. */
export function IspResellersPage(props: {
  shell: ConsoleShell;
  resellers: ResellerView[];
  rules: CommissionRuleView[];
  planNames: Map<string, string>;
  plans: PlanOutput[];
  canWrite: boolean;
  canRecordMoney: boolean;
  settings: { depthMax: number; stockPricing: StockPricingMode };
  canEditSettings: boolean;
}) {
  const { shell } = props;
  return (
    <Layout title="Resellers" shell={shell}>
      <h1>Resellers</h1>
      {props.resellers.length === 0 ? (
        <Empty>No resellers yet.</Empty>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Code</th>
              <th>Level</th>
              <th>Wallet</th>
              <th>Owed</th>
              {props.canWrite ? <th>Move under</th> : null}
              {props.canRecordMoney ? <th>Record</th> : null}
            </tr>
          </thead>
          <tbody>
            {props.resellers.map((reseller) => (
              <tr data-reseller-id={reseller.id}>
                <td>
                  {reseller.name}
                  {reseller.status === 'active' ? null : ' (deactivated)'}
                </td>
                <td>{reseller.code}</td>
                <td>{reseller.depth}</td>
                <td>{formatKsh(reseller.walletCents)}</td>
                <td>{formatKsh(reseller.commissionOwedCents)}</td>
                {props.canWrite ? (
                  <td>
                    <form method="post" action={`/isp/resellers/${reseller.id}/move`} class="inline">
                      <CsrfField token={shell.csrfToken} />
                      <select name="parentId">
                        <option value="">The top (the ISP)</option>
                        {props.resellers
                          .filter((other) => other.id !== reseller.id)
                          .map((other) => (
                            <option value={other.id} selected={other.id === reseller.parentId}>
                              {other.name}
                            </option>
                          ))}
                      </select>
                      <button type="submit">Move</button>
                    </form>
                  </td>
                ) : null}
                {props.canRecordMoney ? (
                  <td>
                    <form method="post" action={`/isp/resellers/${reseller.id}/topups`} class="inline">
                      <CsrfField token={shell.csrfToken} />
                      <input type="number" name="shillings" min="1" placeholder="Ksh" required />
                      <input
                        type="text"
                        name="reference"
                        placeholder="Cash-book ref"
                        required
                        maxlength={64}
                      />
                      <button type="submit">Top up</button>
                    </form>
                    <form method="post" action={`/isp/resellers/${reseller.id}/payouts`} class="inline">
                      <CsrfField token={shell.csrfToken} />
                      <input type="number" name="shillings" min="1" placeholder="Ksh" required />
                      <select name="method">
                        <option value="mpesa">M-Pesa</option>
                        <option value="cash">Cash</option>
                        <option value="bank">Bank</option>
                      </select>
                      <input type="text" name="reference" placeholder="Reference" required maxlength={64} />
                      <button type="submit">Pay out</button>
                    </form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.canWrite ? (
        <section>
          <h2>New reseller</h2>
          <form method="post" action="/isp/resellers" id="new-reseller">
            <CsrfField token={shell.csrfToken} />
            <ResellerIdentityFields />
            <label>
              Password (empty: a temporary one is shown once)
              <input type="password" name="password" minlength={8} autocomplete="new-password" />
            </label>
            <button type="submit">Create reseller</button>
          </form>
        </section>
      ) : null}
      {props.canEditSettings ? (
        <section>
          <h2>Reseller settings</h2>
          <form method="post" action="/isp/resellers/settings" id="reseller-settings">
            <CsrfField token={shell.csrfToken} />
            <label>
              Levels of resellers (1 = no sub-resellers)
              <select name="depthMax">
                {[1, 2, 3].map((depth) => (
                  <option value={String(depth)} selected={depth === props.settings.depthMax}>
                    {depth}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Stock pricing
              <select name="stockPricing">
                <option value="commission" selected={props.settings.stockPricing === 'commission'}>
                  Plan price, commission earned on each voucher
                </option>
                <option value="discount" selected={props.settings.stockPricing === 'discount'}>
                  Plan price less the seller’s commission (a discount per plan)
                </option>
              </select>
            </label>
            <button type="submit">Save settings</button>
          </form>
        </section>
      ) : null}
      <section>
        <h2>Commission rules</h2>
        {props.rules.length === 0 ? (
          <Empty>No rules: resellers earn nothing yet.</Empty>
        ) : (
          <ul>
            {props.rules.map((rule) => (
              <li>
                {rule.planId === null ? 'Every package' : (props.planNames.get(rule.planId) ?? rule.planId)} ·
                level {rule.level} · {ruleText(rule)}
              </li>
            ))}
          </ul>
        )}
        {props.canRecordMoney ? (
          <form method="post" action="/isp/resellers/rules" id="new-rule">
            <CsrfField token={shell.csrfToken} />
            <label>
              Package
              <select name="planId">
                <option value="">Every package (default)</option>
                {props.plans.map((plan) => (
                  <option value={plan.id}>{plan.name}</option>
                ))}
              </select>
            </label>
            <label>
              Level (1 = the seller)
              <input type="number" name="level" min="1" max="3" value="1" required />
            </label>
            <label>
              Percent
              <input type="number" name="percent" min="0" max="100" step="0.01" />
            </label>
            <label>
              or fixed Ksh
              <input type="number" name="fixedShillings" min="0" step="1" />
            </label>
            <button type="submit">Save rule</button>
          </form>
        ) : null}
      </section>
    </Layout>
  );
}
