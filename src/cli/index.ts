// Entry of the `seam` binary (bin/seam.js loads the bundle of this file).
import { main } from './program';

await main(process.argv);
