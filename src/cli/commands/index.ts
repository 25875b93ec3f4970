import type { Command } from '../command.js';
import { create } from './create.js';
import { demo } from './demo.js';
import { detect } from './detect.js';
import { diff } from './diff.js';
import { down } from './down.js';
import { fleet } from './fleet.js';
import { lint } from './lint.js';
import { repair } from './repair.js';
import { report } from './report.js';
import { restore } from './restore.js';
import { rules } from './rules.js';
import { status } from './status.js';
import { up } from './up.js';
import { upgrade } from './upgrade.js';
import { verify } from './verify.js';

/** Every command, in the order `drawbridge --help` lists them. */
export const COMMANDS: readonly Command[] = [demo, detect, report, upgrade, fleet, restore, status, up, down, diff, verify, repair, create, lint, rules];
