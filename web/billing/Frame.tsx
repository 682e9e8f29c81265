import { type ReactNode, useEffect } from 'react';
import { accentStyle, useBranding } from './brand.js';

/**
 * The page around every state: the deployment's logo and product name at the top, its accent
 * colour on buttons and links, and its support contact at the bottom.
 */
export function Frame({
  holder,
  switcher,
  children,
}: {
  holder?: string | null;
  switcher?: ReactNode;
  children: ReactNode;
}) {
  const branding = useBranding().data;
  const product = branding?.product_name ?? null;
  useEffect(() => {
    document.title = product ? `Billing · ${product}` : 'Billing';
  }, [product]);
  return (
    <div className="frame" style={accentStyle(branding?.accent_color)}>
      <header className="top">
        <div className="brand">
          {branding?.logo_url && <img src={branding.logo_url} alt="" className="logo" />}
          {product && <p className="product">{product}</p>}
          <h1>Billing</h1>
        </div>
        <div className="who">
          {holder && <p className="muted">Signed in as {holder}</p>}
          {switcher}
        </div>
      </header>
      <main>{children}</main>
      {(branding?.support_email || branding?.support_url) && (
        <footer className="support">
          <p>
            Questions about your bill?{' '}
            {branding.support_email && (
              <>
                Email <a href={`mailto:${branding.support_email}`}>{branding.support_email}</a>
              </>
            )}
            {branding.support_email && branding.support_url && ' or visit '}
            {!branding.support_email && branding.support_url && 'Visit '}
            {branding.support_url && (
              <a href={branding.support_url} rel="noopener noreferrer">
                {product ? `${product} support` : 'our support page'}
              </a>
            )}
            .
          </p>
        </footer>
      )}
    </div>
  );
}
