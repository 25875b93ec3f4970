import { UsageError } from '../../errors.js';
import type { Command } from '../command.js';

export const fleet: Command = {
  name: 'fleet',
  summary: 'not built yet',
  synopsis: 'fleet',
  help: [],
  options: {},
  run() {
    return Promise.reject(new UsageError('fleet: not built yet'));
  },
};
