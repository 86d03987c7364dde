import { defineBackend } from '../../src/index.js';
import { resources } from '../../src/kernel.js';

export default defineBackend({
  name: 'FMPadding_rtl',
  kernel: 'FMPadding',
  language: 'rtl',
  description: 'RTL FMPadding; FINN has no resource model for it',
  isViable() {
    return true;
  },
  estimate() {
    return resources({});
  },
});
