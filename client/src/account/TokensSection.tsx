/**
 * Personal access tokens, for scripts and bots that use the API or the collaboration endpoint
 * as you. Each has scopes: it reads, writes unless told not to, and administers accounts only if
 * an administrator ticks that explicitly. The secret is shown once, right after creating it.
 */
import { useState, type FormEvent } from 'react';

import { CreateAccessTokenRequest, DEFAULT_TOKEN_SCOPES, TOKEN_EXPIRY_DAYS, TOKEN_SCOPE_LABELS, type TokenScope } from '../../../shared/api/index';
import { createToken, deleteToken, listTokens, type AccessTokenSummary, type CreatedAccessToken } from '../api/tokens';
import { useCurrentUser } from '../auth/session';
import { announce } from '../ui/announce';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { CopyField } from '../ui/CopyLinkButton';
import { formatDate } from '../ui/dates';
import { FetchedList } from '../ui/FetchedList';
import { FormField, TextField } from '../ui/FormField';
import { RelativeTime } from '../ui/RelativeTime';
import { useFetched } from '../ui/useFetched';
import { useFormSubmit } from '../ui/useFormSubmit';

type Expiry = (typeof TOKEN_EXPIRY_DAYS)[number] | null;

export function TokensSection() {
  const tokens = useFetched((signal) => listTokens(signal), 'tokens');
  const [created, setCreated] = useState<CreatedAccessToken | null>(null);
  const [toRevoke, setToRevoke] = useState<AccessTokenSummary | null>(null);

  const revoke = async (token: AccessTokenSummary) => {
    await deleteToken(token.id);
    tokens.update((items) => items.filter((item) => item.id !== token.id));
    if (created?.id === token.id) setCreated(null);
    announce(`Token ${token.name} revoked`);
  };

  return (
    <section className="panel" aria-labelledby="tokens-title">
      <h2 id="tokens-title" className="panel__title">
        Personal access tokens
      </h2>
      <p className="panel__intro">
        For scripts and bots that read or write drafts as you, with your rights in your groups. Treat a token like a password.
      </p>

      {created ? (
        <CreatedTokenBox token={created} onDone={() => setCreated(null)} />
      ) : (
        <NewTokenForm
          onCreated={(token) => {
            setCreated(token);
            tokens.update((items) => [token, ...items.filter((item) => item.id !== token.id)]);
            announce(`Token ${token.name} created`);
          }}
        />
      )}

      <h3 className="panel__subtitle">Your tokens</h3>
      <FetchedList fetched={tokens} failed="Couldn’t load your tokens." empty="No tokens yet.">
        {(items) => (
          <ul className="token-list" aria-label="Your tokens">
            {items.map((token) => (
              <li key={token.id} className="token-row" data-testid="token-row">
                <div className="token-row__text">
                  <span className="token-row__name">{token.name}</span>
                  <span className="token-row__meta">
                    <code>{token.prefix}…</code> · created <RelativeTime iso={token.createdAt} /> ·{' '}
                    {token.lastUsedAt ? <RelativeTime iso={token.lastUsedAt} prefix="last used" /> : 'never used'} ·{' '}
                    {token.expiresAt ? `expires ${formatDate(token.expiresAt)}` : 'never expires'}
                  </span>
                  <span className="token-row__meta" data-testid="token-scopes">
                    {scopesText(token.scopes)}
                  </span>
                </div>
                <button
                  type="button"
                  className="button button--compact button--quiet button--danger-text"
                  onClick={() => setToRevoke(token)}
                  aria-label={`Revoke token ${token.name}`}
                >
                  Revoke
                </button>
              </li>
            ))}
          </ul>
        )}
      </FetchedList>

      <ConfirmDialog
        open={toRevoke !== null}
        title={toRevoke ? `Revoke “${toRevoke.name}”?` : 'Revoke this token?'}
        message="Scripts using it stop working at once, and their open connections are closed."
        confirmLabel="Revoke token"
        danger
        onConfirm={() => (toRevoke ? revoke(toRevoke) : undefined)}
        onClose={() => setToRevoke(null)}
      />
    </section>
  );
}

/** "Can read and write", "Can only read", "Can read, write and administer accounts". */
function scopesText(scopes: readonly TokenScope[]): string {
  if (scopes.length === 1) return 'Can only read';
  const verbs = scopes.map((scope) => ({ read: 'read', write: 'write', admin: 'administer accounts' })[scope]);
  return `Can ${verbs.slice(0, -1).join(', ')} and ${verbs[verbs.length - 1]}`;
}

const SCOPE_DETAILS: Record<TokenScope, string> = {
  read: 'Drafts, comments and groups you can see. Every token reads.',
  write: 'Edit drafts, comment and manage groups, as far as your roles allow.',
  admin: 'Accounts and password reset links. Only for scripts you trust with the whole installation.',
};

function NewTokenForm({ onCreated }: { onCreated: (token: CreatedAccessToken) => void }) {
  const { isAdmin } = useCurrentUser();
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<Expiry>(90);
  const [scopes, setScopes] = useState<TokenScope[]>([...DEFAULT_TOKEN_SCOPES]);
  const form = useFormSubmit({ fields: ['name', 'scopes'], failure: 'Couldn’t create the token.' });
  // Administration is offered only to administrators, and never ticked for them.
  const offered: TokenScope[] = isAdmin ? ['read', 'write', 'admin'] : ['read', 'write'];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(CreateAccessTokenRequest, { name, expiresInDays: expiry, scopes }, async (request) => {
      onCreated(await createToken(request));
      setName('');
      setScopes([...DEFAULT_TOKEN_SCOPES]);
    });
  };

  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <TextField
        label="Token name"
        error={form.error('name')}
        maxLength={80}
        value={name}
        placeholder="e.g. Meeting notes bot"
        onChange={form.change('name', setName)}
      />
      <FormField label="Expires" error={null}>
        {(control) => (
          <select {...control} className="input" value={expiry === null ? 'never' : String(expiry)} onChange={(event) => setExpiry(event.target.value === 'never' ? null : (Number(event.target.value) as Expiry))}>
            {TOKEN_EXPIRY_DAYS.map((days) => (
              <option key={days} value={days}>
                {days === 365 ? 'in 1 year' : `in ${days} days`}
              </option>
            ))}
            <option value="never">Never</option>
          </select>
        )}
      </FormField>
      <fieldset className="token-scopes">
        <legend>Access</legend>
        <div className="token-scopes__options">
          {offered.map((scope) => (
            <label key={scope} className="token-scopes__option">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                disabled={scope === 'read'}
                onChange={(event) => setScopes((current) => (event.target.checked ? [...current, scope] : current.filter((item) => item !== scope)))}
              />
              <span>
                {TOKEN_SCOPE_LABELS[scope]} <span className="token-scopes__detail">{SCOPE_DETAILS[scope]}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="inline-form__submit">
        <button type="submit" className="button button--primary" disabled={form.busy}>
          {form.busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
      {(form.general || form.error('scopes')) && (
        <p className="form-error inline-form__error" role="alert">
          {form.general ?? form.error('scopes')}
        </p>
      )}
    </form>
  );
}

function CreatedTokenBox({ token, onDone }: { token: CreatedAccessToken; onDone: () => void }) {
  return (
    <div className="created-secret" data-testid="created-token">
      <p className="created-secret__title">
        Your new token <strong>{token.name}</strong>
      </p>
      <CopyField value={token.token} label="New access token" copyLabel="Copy token" copiedMessage="Token copied to the clipboard" />
      <p className="created-secret__note" role="status">
        <strong>Copy it now: you won’t see it again.</strong> If you lose it, revoke it and create a new one.
      </p>
      <p className="created-secret__usage">
        Send it in the <code>Authorization</code> header, on HTTP requests and on the collaboration websocket:
      </p>
      <pre className="code-block">
        <code>{`Authorization: Bearer ${token.token}`}</code>
      </pre>
      <button type="button" className="button button--compact" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
