/**
 * The files Certdesk offers to open (manifest `file_handlers`) and to receive (`share_target`),
 * and the one protocol between the service worker that receives a share and the page that
 * imports it. Used by vite.config.ts, the service worker and the page, so it needs no DOM.
 *
 * Certdesk reads every file by its content (src/core/pki/decode.ts); these types only decide
 * which files the operating system offers to Certdesk.
 */

/**
 * MIME type → extensions. Each extension appears once: the registered types first
 * (RFC 2585 §4 application/pkix-cert, RFC 5967 application/pkcs10, RFC 8551 §3.2.2
 * application/pkcs7-mime certs-only .p7c), then the names operating systems use in practice.
 */
export const certificateFileTypes = {
  'application/pkix-cert': ['.cer'],
  'application/x-x509-ca-cert': ['.crt', '.der'],
  'application/x-pem-file': ['.pem', '.b64'],
  'application/x-pkcs7-certificates': ['.p7b'],
  'application/pkcs7-mime': ['.p7c'],
  'application/x-pkcs12': ['.p12', '.pfx'],
  'application/pkcs10': ['.csr'],
  // A CA's reply often comes as a .zip of the certificate and its chain.
  'application/zip': ['.zip'],
} as const satisfies Record<string, readonly `.${string}`[]>;

/** Where the operating system's share sheet POSTs shared files (manifest `share_target.action`). */
export const SHARE_TARGET_PATH = '/share-target';

/** The multipart field that carries the shared files (manifest `share_target.params.files`). */
export const SHARE_FILES_FIELD = 'certificates';

/** The multipart field that carries shared text (PEM pasted into another app's share sheet). */
export const SHARE_TEXT_FIELD = 'text';

/** Cache Storage name for shared files between the service worker's POST and the page's pickup. */
export const SHARED_FILES_CACHE = 'certdesk-shared-files';

/** Query parameter of the 303 redirect that names one share (`/?shared=<id>#/certificates`). */
export const SHARED_BATCH_PARAM = 'shared';

/** The Cache Storage key of the n-th file of one share. */
export function sharedFileKey(batch: string, index: number): string {
  return `/shared-files/${encodeURIComponent(batch)}/${index}`;
}

/** The header that carries the shared file's name (URI-encoded) in its cached response. */
export const SHARED_NAME_HEADER = 'x-certdesk-file-name';
