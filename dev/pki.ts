import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths of the files a local control plane needs, all inside one folder. */
export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  adminCert: string;
  adminKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

/** Where generatePki writes each file in `dir`: a plane's PKI can be found from its folder alone. */
export function pkiPaths(dir: string): Pki {
  return {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'apiserver.crt'),
    serverKey: join(dir, 'apiserver.key'),
    adminCert: join(dir, 'admin.crt'),
    adminKey: join(dir, 'admin.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
  };
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function signed(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
  ca: { cert: string; key: string },
): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.crt`);
  const ext = join(dir, `${name}.ext`);
  await writeFile(ext, extensions);
  await run('openssl', ['req', '-new', ...EC, '-keyout', key, '-out', csr, '-subj', subject]);
  await run('openssl', [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-CAcreateserial',
    '-days',
    '365',
    '-out',
    cert,
    '-extfile',
    ext,
  ]);
  return { cert, key };
}

/** Generates a throwaway CA, the API server's serving cert, an admin client cert and the service-account key. */
export async function generatePki(dir: string): Promise<Pki> {
  const paths = pkiPaths(dir);
  const ca = { cert: paths.caCert, key: paths.caKey };
  await run('openssl', [
    'req',
    '-x509',
    ...EC,
    '-keyout',
    ca.key,
    '-out',
    ca.cert,
    '-days',
    '365',
    '-subj',
    '/CN=kmesos-local-ca',
  ]);
  await signed(
    dir,
    'apiserver',
    '/CN=kube-apiserver',
    'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' +
      'extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
    ca,
  );
  // system:masters makes this the cluster admin, as kubeadm's admin.conf is.
  await signed(
    dir,
    'admin',
    '/O=system:masters/CN=kmesos-admin',
    'extendedKeyUsage=clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n',
    ca,
  );
  await run('openssl', [
    'ecparam',
    '-name',
    'prime256v1',
    '-genkey',
    '-noout',
    '-out',
    paths.serviceAccountKey,
  ]);
  await run('openssl', ['ec', '-in', paths.serviceAccountKey, '-pubout', '-out', paths.serviceAccountPub]);
  return paths;
}
