/**
 * Every page of the app, each loaded when first shown (its own chunk): the sign-in page must not
 * download the editor stack (Tiptap, Yjs, ProseMirror), nor the home page the admin or report
 * pages. Render them inside a PageBoundary, which shows the loading page meanwhile.
 */
import { lazy, type ComponentType } from 'react';
import { MessagePage } from '../ui/NotFoundPage';

/** Shown when a page's code cannot be fetched: offline before it was ever opened here, or a deploy removed the old file. */
function PageLoadFailed() {
  return (
    <MessagePage
      icon="document"
      title="This page couldn’t be loaded"
      message={
        navigator.onLine
          ? 'Concord may have been updated since this tab was opened. Reload to get the new version.'
          : 'You are offline, and this page has not been opened on this device before. Reconnect and try again.'
      }
      action={
        <button type="button" className="button button--primary" onClick={() => location.reload()}>
          Reload
        </button>
      }
    />
  );
}

function page<Props>(load: () => Promise<ComponentType<Props>>) {
  return lazy(async (): Promise<{ default: ComponentType<Props> }> => {
    try {
      return { default: await load() };
    } catch (error) {
      console.warn('Concord: a page could not be loaded', error);
      return { default: PageLoadFailed as ComponentType<Props> };
    }
  });
}

export const SignInPage = page(() => import('../auth/SignInPage').then((module) => module.SignInPage));
export const SignUpPage = page(() => import('../auth/SignUpPage').then((module) => module.SignUpPage));
export const ResetPasswordPage = page(() => import('../auth/ResetPasswordPage').then((module) => module.ResetPasswordPage));
export const InvitePage = page(() => import('../groups/InvitePage').then((module) => module.InvitePage));
export const HomePage = page(() => import('../home/HomePage').then((module) => module.HomePage));
export const AccountPage = page(() => import('../account/AccountPage').then((module) => module.AccountPage));
export const AdminPage = page(() => import('../admin/AdminPage').then((module) => module.AdminPage));
export const DocumentRoute = page(() => import('../history/DocumentRoute').then((module) => module.DocumentRoute));
export const ReportPage = page(() => import('../comments/ReportPage').then((module) => module.ReportPage));
export const GroupPage = page(() => import('../groups/GroupPage').then((module) => module.GroupPage));
