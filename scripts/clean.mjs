// Removes build folders before a rebuild so that deleted sources leave no stale output behind.
import { rmSync } from 'node:fs';

for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true });
