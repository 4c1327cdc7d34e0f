// The SBOM of the image scripts/image.sh builds, in CycloneDX JSON: the npm packages as `npm sbom` lists them,
// plus what the image holds besides: the Node binary and the Debian packages of the shared libraries it links.
//
//   node deploy/docker/image-sbom.mjs NPM_SBOM.json VERSION NODE_BINARY LIB...   (prints the merged SBOM)
import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';

const [npmSbomPath, version, nodeBinary, ...libs] = process.argv.slice(2);
if (!npmSbomPath || !version || !nodeBinary) {
  console.error('usage: node deploy/docker/image-sbom.mjs NPM_SBOM.json VERSION NODE_BINARY LIB...');
  process.exit(2);
}
const sbom = JSON.parse(readFileSync(npmSbomPath, 'utf8'));

/** The Debian package owning `path` (tried as given, resolved, and under /usr for merged-/usr systems). */
function debianPackageOf(path) {
  for (const p of [path, realpathSync(path), `/usr${path}`]) {
    try {
      return execFileSync('dpkg', ['-S', p], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split(':')[0];
    } catch {
      // not known under this name
    }
  }
  return undefined;
}

const debian = (() => {
  try {
    const osRelease = readFileSync('/etc/os-release', 'utf8');
    return /^VERSION_ID="?([^"\n]+)/m.exec(osRelease)?.[1];
  } catch {
    return undefined;
  }
})();
const packages = [...new Set(libs.map(debianPackageOf).filter(Boolean))].sort();
const debComponents = packages.map((name) => {
  const [, ver, arch] = execFileSync('dpkg-query', ['-W', '-f', '${Package} ${Version} ${Architecture}', name], { encoding: 'utf8' }).split(' ');
  return {
    type: 'library',
    'bom-ref': `deb:${name}@${ver}`,
    name,
    version: ver,
    purl: `pkg:deb/debian/${name}@${encodeURIComponent(ver)}?arch=${arch}${debian ? `&distro=debian-${debian}` : ''}`,
    description: `Debian package: ${libs.filter((l) => debianPackageOf(l) === name).join(', ')}`,
  };
});
const nodeVersion = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
const nodeComponent = {
  type: 'application',
  'bom-ref': `node@${nodeVersion}`,
  name: 'node',
  version: nodeVersion,
  purl: `pkg:generic/node@${nodeVersion}?download_url=https://nodejs.org/dist/v${nodeVersion}/`,
  licenses: [{ license: { id: 'MIT' } }],
  description: 'Node.js runtime, /usr/local/bin/node',
};

sbom.metadata = {
  ...sbom.metadata,
  component: { ...sbom.metadata?.component, type: 'container', name: 'ebb', version, description: 'the ebb image (ebb run, ebb gateway)' },
};
sbom.components = [...(sbom.components ?? []), nodeComponent, ...debComponents];
process.stdout.write(`${JSON.stringify(sbom, null, 2)}\n`);
