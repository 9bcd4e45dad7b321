/** The top bar of every page except the editor (which has its own): brand, the notification bell, and who is signed in. */
import { UserMenu } from '../account/UserMenu';
import { NotificationBell } from '../notifications/index';
import { Link } from '../router';

export function AppHeader() {
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        <span className="brand-mark" aria-hidden="true">C</span>
        <span className="brand-name">Concord</span>
        <span className="visually-hidden">, all drafts</span>
      </Link>
      <div className="app-header__end">
        <NotificationBell />
        <UserMenu />
      </div>
    </header>
  );
}
