export {
  AccountPage,
  AdminPage,
  DocumentRoute,
  GroupPage,
  HomePage,
  InvitePage,
  ReportPage,
  ResetPasswordPage,
  SignInPage,
  SignUpPage,
} from './lazy-pages';
export { PageBoundary } from './PageBoundary';
