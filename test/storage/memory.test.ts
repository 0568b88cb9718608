import '../helpers.js';

import { InMemoryStorage } from '../../src/storage/index.js';
import { storageConformance } from './conformance.js';

storageConformance('InMemoryStorage', { make: () => new InMemoryStorage() });
