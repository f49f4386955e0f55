// Intentionally empty. The tsconfigs of environments that must not import Electron map the
// `electron` module here (see "paths"), so `import ... from 'electron'` finds no exports and fails
// to type-check in shared/, engine/, cli/, host-web/ and renderer/.
export {};
