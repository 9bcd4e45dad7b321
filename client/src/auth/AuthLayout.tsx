/** The frame of the sign-in, sign-up and invite pages: the brand above one calm card. */
import { useEffect, type ReactNode } from 'react';

export function AuthLayout({ title, pageTitle, intro, children, footer }: { title: string; pageTitle?: string; intro?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  useEffect(() => {
    document.title = `${pageTitle ?? title} — Concord`;
  }, [title, pageTitle]);
  return (
    <main className="auth-page" aria-labelledby="auth-title">
      <div className="auth-page__brand brand" aria-hidden="true">
        <span className="brand-mark">C</span>
        <span className="brand-name">Concord</span>
      </div>
      <div className="auth-card">
        <h1 id="auth-title" className="auth-card__title">
          {title}
        </h1>
        {intro && <div className="auth-card__intro">{intro}</div>}
        {children}
      </div>
      {footer && <div className="auth-page__footer">{footer}</div>}
    </main>
  );
}
