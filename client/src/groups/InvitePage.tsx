/**
 * /invite/<token>: what the link offers ("Ada invited you to join X as Member"), then, signed
 * in, one click to join; not signed in, create an account and join in one step, or sign in first
 * (and come back here, which then joins at once).
 */
import { useEffect, useRef, useState } from 'react';

import { ROLE_LABELS } from '../../../shared/api/index';
import { acceptInvite, previewInvite, type InvitePreview } from '../api/groups';
import { ApiError } from '../api/http';
import { AuthLayout } from '../auth/AuthLayout';
import { useSession } from '../auth/session';
import { SignUpForm } from '../auth/SignUpForm';
import { Link, groupPath, navigate, readHistoryState, signInPath } from '../router';
import { formatDate } from '../ui/dates';
import { messageOf } from '../ui/form-errors';
import { LoadingPage } from '../ui/NotFoundPage';
import { roleSentence } from './role-text';

type Preview = { state: 'loading' } | { state: 'ready'; invite: InvitePreview } | { state: 'invalid'; reason: 'unknown' | 'used' } | { state: 'error'; message: string };

export function InvitePage({ token }: { token: string }) {
  const session = useSession();
  const [preview, setPreview] = useState<Preview>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  // Came back here from signing in: join without another click.
  const [autoJoin] = useState(() => readHistoryState()?.fromSignIn === true);

  useEffect(() => {
    const controller = new AbortController();
    setPreview({ state: 'loading' });
    previewInvite(token, controller.signal)
      .then((invite) => setPreview({ state: 'ready', invite }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        if (error instanceof ApiError && (error.status === 404 || error.status === 400)) setPreview({ state: 'invalid', reason: 'unknown' });
        else if (error instanceof ApiError && error.status === 410) setPreview({ state: 'invalid', reason: 'used' });
        else setPreview({ state: 'error', message: messageOf(error) });
      });
    return () => controller.abort();
  }, [token, attempt]);

  if (preview.state === 'loading' || session.status === 'loading') return <LoadingPage label="Opening invite…" />;

  if (preview.state === 'invalid') {
    return (
      <AuthLayout title={preview.reason === 'used' ? 'This invite link can’t be used any more' : 'This invite link doesn’t work'}>
        <p className="auth-card__text">
          {preview.reason === 'used'
            ? 'Invite links work once and for a limited time. This one was already used, has expired, or was revoked.'
            : 'The link may be incomplete: check that you copied all of it.'}{' '}
          Ask a co-chair of the working group for a new link.
        </p>
        <Link href="/" className="button button--block">
          Go to Concord
        </Link>
      </AuthLayout>
    );
  }

  if (preview.state === 'error') {
    return (
      <AuthLayout title="Couldn’t open the invite">
        <p className="banner banner--error form-banner" role="alert">
          {preview.message}
        </p>
        <button type="button" className="button button--block" onClick={() => setAttempt((value) => value + 1)}>
          Try again
        </button>
      </AuthLayout>
    );
  }

  const { invite } = preview;
  const user = session.status === 'ready' ? session.user : null;
  const intro = (
    <>
      <p className="invite-summary" data-testid="invite-summary">
        <strong>{invite.invitedBy}</strong> invited you to join <strong>{invite.groupName}</strong> as <strong>{ROLE_LABELS[invite.role]}</strong>.
      </p>
      <p className="invite-meta">
        {roleSentence(invite.role)} The link works once and expires on {formatDate(invite.expiresAt)}.
      </p>
    </>
  );

  if (user) {
    return (
      <AuthLayout title="You’re invited" pageTitle={`Join ${invite.groupName}`} intro={intro}>
        <JoinButton token={token} invite={invite} autoJoin={autoJoin} />
        <p className="auth-card__text auth-card__text--small">
          Signed in as {user.name} ({user.email}).
        </p>
      </AuthLayout>
    );
  }

  const here = `/invite/${encodeURIComponent(token)}`;
  return (
    <AuthLayout title="You’re invited" pageTitle={`Join ${invite.groupName}`} intro={intro}>
      <Link href={signInPath(here)} className="button button--block">
        I have an account — sign in
      </Link>
      <h2 className="auth-card__subtitle">New to Concord? Create your account</h2>
      <SignUpForm
        invite={token}
        submitLabel="Create account and join"
        signInHref={signInPath(here)}
        onSignedUp={() => navigate(groupPath(invite.groupId), { replace: true })}
      />
    </AuthLayout>
  );
}

function JoinButton({ token, invite, autoJoin }: { token: string; invite: InvitePreview; autoJoin: boolean }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [alreadyMember, setAlreadyMember] = useState(false);

  const join = async () => {
    setBusy(true);
    setError(null);
    try {
      const joined = await acceptInvite(token);
      navigate(groupPath(joined.groupId), { replace: true });
    } catch (caught) {
      setBusy(false);
      if (caught instanceof ApiError && caught.code === 'already_member') setAlreadyMember(true);
      else if (caught instanceof ApiError && caught.status === 410) setError('This invite link can no longer be used: it was already used, has expired or was revoked. Ask a co-chair for a new one.');
      else setError(messageOf(caught));
    }
  };

  const autoJoined = useRef(false);
  useEffect(() => {
    // Only once, when the page opens after signing in.
    if (!autoJoin || autoJoined.current) return;
    autoJoined.current = true;
    void join();
  });

  if (alreadyMember) {
    return (
      <div className="form">
        <p className="banner banner--info form-banner" role="status">
          You’re already a member of {invite.groupName}. The invite stays unused, so it can go to someone else.
        </p>
        <button type="button" className="button button--primary button--block" onClick={() => navigate(groupPath(invite.groupId), { replace: true })}>
          Open {invite.groupName}
        </button>
      </div>
    );
  }

  return (
    <div className="form">
      {error && (
        <p className="banner banner--error form-banner" role="alert">
          {error}
        </p>
      )}
      <button type="button" className="button button--primary button--block" onClick={() => void join()} disabled={busy} autoFocus>
        {busy ? 'Joining…' : 'Join group'}
      </button>
    </div>
  );
}
