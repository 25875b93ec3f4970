import { UsageError } from '../../errors.js';
import type { Command } from '../command.js';

export const lint: Command = {
  name: 'lint',
  summary: 'not built yet',
  synopsis: 'lint',
  help: [],
  options: {},
  run() {
    return Promise.reject(new UsageError('lint: not built yet'));
  },
};
