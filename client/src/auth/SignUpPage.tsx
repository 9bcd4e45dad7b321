/**
 * /signup: the first account (the administrator), open sign-up when the server allows it, and
 * otherwise an explanation that an invite link is needed. (Sign-up with an invite happens on the
 * invite page itself.)
 */
import { useState } from 'react';

import { Link, navigate, queryParam, safeNextPath } from '../router';
import { AuthLayout } from './AuthLayout';
import { useSession } from './session';
import { SignUpForm } from './SignUpForm';

export function SignUpPage() {
  const session = useSession();
  const [next] = useState(() => safeNextPath(queryParam('next')));
  const signInHref = next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`;
  const setupRequired = session.status === 'ready' && session.setupRequired;
  const open = session.status === 'ready' && session.openSignup;

  if (!setupRequired && !open) {
    return (
      <AuthLayout
        title="You need an invite link"
        intro={
          <p>
            Accounts on this Concord are created by invitation. Ask a co-chair or the secretariat of your working group for an invite link;
            opening it lets you create your account and join the group in one step.
          </p>
        }
      >
        <Link href={signInHref} className="button button--block">
          I already have an account — sign in
        </Link>
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title={setupRequired ? 'Create the administrator account' : 'Create your account'}
      pageTitle={setupRequired ? 'Set up Concord' : 'Create your account'}
      intro={
        setupRequired ? (
          <p>This is the first account on this Concord. It can create working groups, invite people and manage accounts.</p>
        ) : undefined
      }
      footer={
        setupRequired ? undefined : (
          <p>
            Already have an account? <Link href={signInHref}>Sign in</Link>
          </p>
        )
      }
    >
      <SignUpForm submitLabel={setupRequired ? 'Create administrator account' : 'Create account'} signInHref={signInHref} onSignedUp={() => navigate(next, { replace: true })} />
    </AuthLayout>
  );
}
