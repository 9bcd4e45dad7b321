/** App shell: global styles, the session, the routes, and offline support. */
import './zod-config';
import { StrictMode, useEffect, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

import { startSession, useSession } from './auth/session';
import { matchDocumentRoute } from './history/routes';
import {
  AccountPage,
  AdminPage,
  DocumentRoute,
  GroupPage,
  HomePage,
  InvitePage,
  PageBoundary,
  ReportPage,
  ResetPasswordPage,
  SignInPage,
  SignUpPage,
} from './pages/index';
import { registerServiceWorker } from './offline/register-service-worker';
import { navigate, queryParam, safeNextPath, signInPath, usePath, type GroupTab } from './router';
import { LoadingPage, MessagePage, NotFoundPage } from './ui/NotFoundPage';
import './styles/base.css';
import './styles/home.css';
import './styles/app.css';
import './styles/editor.css';
import './comments/comments.css';
import './notifications/notifications.css';

function App() {
  const path = usePath();
  const session = useSession();

  if (session.status === 'loading') return <LoadingPage />;
  if (session.status === 'unreachable') {
    return (
      <MessagePage
        icon="document"
        title="Concord can’t be reached"
        message={session.error.isNetworkError ? 'The server can’t be reached right now. Check your connection and try again.' : session.error.message}
        action={
          <button type="button" className="button button--primary" onClick={() => location.reload()}>
            Try again
          </button>
        }
      />
    );
  }

  // Pages for people who aren't signed in (yet).
  if (path === '/signin' || path === '/signup') {
    if (session.user) return <Redirect to={safeNextPath(queryParam('next'))} />;
    return path === '/signin' ? <SignInPage /> : <SignUpPage />;
  }
  const invite = /^\/invite\/([^/]+)\/?$/.exec(path);
  if (invite) return <InvitePage token={decodeURIComponent(invite[1])} />;
  const reset = /^\/reset\/([^/]+)\/?$/.exec(path);
  if (reset) return <ResetPasswordPage token={decodeURIComponent(reset[1])} />;

  if (!session.user) return <Redirect to={signInPath()} />;
  return <SignedInRoutes path={path} />;
}

function SignedInRoutes({ path }: { path: string }): ReactNode {
  // Keyed, so switching views starts from an empty list instead of showing the other view's.
  if (path === '/') return <HomePage key="active" archived={false} />;
  if (path === '/archived') return <HomePage key="archived" archived />;
  if (path === '/account') return <AccountPage />;
  if (path === '/admin') return <AdminPage />;
  // The editor, and its version history views over it (/versions/<id>, /compare).
  const document = matchDocumentRoute(path);
  if (document) return <DocumentRoute documentId={document.documentId} view={document.view} />;
  const report = /^\/d\/([^/]+)\/report\/?$/.exec(path);
  if (report) return <ReportPage documentId={decodeURIComponent(report[1])} />;
  const group = /^\/g\/([^/]+)(?:\/(archived|members|settings))?\/?$/.exec(path);
  if (group) return <GroupPage groupId={decodeURIComponent(group[1])} tab={(group[2] as GroupTab | undefined) ?? 'drafts'} />;
  return <NotFoundPage title="Page not found" message="There is nothing at this address." />;
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

startSession();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PageBoundary>
      <App />
    </PageBoundary>
  </StrictMode>,
);

registerServiceWorker();
