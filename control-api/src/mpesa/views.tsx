// ISP console M-Pesa page: the shortcode, Daraja app credentials (never shown back) and C2B API version,
// and whether Daraja registered the C2B URLs (with what to do when it refused).

import { CsrfField, formatDateTime } from '../console/components';
import { type ConsoleShell, Layout } from '../console/layout';
import type { MpesaSettingsView } from '../features/settings/api';

function RegistrationState(props: { registration: MpesaSettingsView['c2bRegistration'] }) {
  const registration = props.registration;
  if (registration === null) return <p>C2B payments: not registered yet (save the settings below).</p>;
  const states = {
    registered: 'Daraja sends paybill/till payments to Kiunga.',
    pending: 'Registering with Daraja; retried every few minutes.',
    failed: 'Daraja refused the registration.',
  } as const;
  return (
    <div
      id="c2b-registration"
      data-status={registration.status}
      data-error-code={registration.errorCode ?? ''}
    >
      <p>
        C2B payments: <b>{registration.status}</b> ({formatDateTime(registration.updatedAt)}).{' '}
        {states[registration.status]}
      </p>
      {registration.lastError ? <p class="flash error">{registration.lastError}</p> : null}
    </div>
  );
}

/** A Daraja credential: never shown back; left empty, the saved one is kept (named secret* for the draft rule). */
function CredentialField(props: {
  id: string;
  name: string;
  label: string;
  isSaved: boolean;
  isHidden?: boolean;
}) {
  return (
    <div>
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        name={props.name}
        type={props.isHidden ? 'password' : 'text'}
        autocomplete="off"
        maxlength={200}
        required={!props.isSaved}
        placeholder={props.isSaved ? 'Leave empty to keep the saved one' : ''}
      />
    </div>
  );
}

export function MpesaPage(props: { shell: ConsoleShell; settings: MpesaSettingsView; canWrite: boolean }) {
  const { settings } = props;
  const version = settings.c2bApiVersion ?? 'v2';
  return (
    <Layout title="M-Pesa" shell={props.shell}>
      <h1>M-Pesa</h1>
      <section class="card" id="mpesa-settings">
        <p>
          {settings.isConfigured
            ? `Payments go to shortcode ${settings.shortcode}.`
            : 'M-Pesa is not set up: the captive portal sells nothing until it is.'}
        </p>
        <RegistrationState registration={settings.c2bRegistration} />
        <form method="post" action="/isp/mpesa">
          <CsrfField token={props.shell.csrfToken} />
          <fieldset disabled={!props.canWrite}>
            <div class="row">
              <div>
                <label for="mpesaShortcode">Shortcode (paybill, or the store number of a till)</label>
                <input
                  id="mpesaShortcode"
                  name="shortcode"
                  required
                  inputmode="numeric"
                  pattern="[0-9]{5,9}"
                  value={settings.shortcode ?? ''}
                />
              </div>
              <div>
                <label for="mpesaTransactionType">Kind</label>
                <select id="mpesaTransactionType" name="transactionType">
                  <option
                    value="CustomerPayBillOnline"
                    selected={settings.transactionType !== 'CustomerBuyGoodsOnline'}
                  >
                    Paybill
                  </option>
                  <option
                    value="CustomerBuyGoodsOnline"
                    selected={settings.transactionType === 'CustomerBuyGoodsOnline'}
                  >
                    Till (buy goods)
                  </option>
                </select>
              </div>
              <div>
                <label for="mpesaPartyB">Till number (tills only)</label>
                <input
                  id="mpesaPartyB"
                  name="partyB"
                  inputmode="numeric"
                  pattern="[0-9]{5,9}"
                  value={settings.partyB ?? ''}
                />
              </div>
            </div>
            <div class="row">
              <CredentialField
                id="mpesaConsumerKey"
                name="secretConsumerKey"
                label="Daraja consumer key"
                isSaved={settings.isConfigured}
              />
              <CredentialField
                id="mpesaConsumerSecret"
                name="secretConsumerSecret"
                label="Consumer secret"
                isSaved={settings.isConfigured}
                isHidden
              />
              <CredentialField
                id="mpesaPasskey"
                name="secretPasskey"
                label="Passkey"
                isSaved={settings.isConfigured}
                isHidden
              />
            </div>
            <label for="mpesaC2bApiVersion">C2B API version of your Daraja app</label>
            <select id="mpesaC2bApiVersion" name="c2bApiVersion">
              <option value="v2" selected={version === 'v2'}>
                v2 (Safaricom's current product)
              </option>
              <option value="v1" selected={version === 'v1'}>
                v1 (older apps)
              </option>
            </select>
            <p class="muted">
              Daraja only registers your payment URLs on the C2B version your app is subscribed to (see the
              app's products on the Daraja portal).
            </p>
            <button type="submit">Save M-Pesa settings</button>
          </fieldset>
        </form>
      </section>
    </Layout>
  );
}
