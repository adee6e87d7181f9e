/** The feature routes of the API, over one set of services (see docs/api.md). */
import type { RouteModule } from '../app.ts';
import type { Services } from '../services.ts';
import { approvalRoutes } from './approvals.ts';
import { checkoutRoutes } from './checkout.ts';
import { hubRoutes } from './hub.ts';
import { managerRoutes } from './manager.ts';
import { returnRoutes } from './returns.ts';
import { salesExportRoutes } from './sales-export.ts';
import { sellingRoutes } from './selling.ts';
import { shiftCashRoutes } from './shift-cash.ts';
import { technicianRoutes } from './technician.ts';

export { approvalRoutes, checkoutRoutes, hubRoutes, managerRoutes, returnRoutes, salesExportRoutes, sellingRoutes, shiftCashRoutes, technicianRoutes };

/** Every feature route module, in registration order. */
export function featureRoutes(services: Services, version: string): RouteModule[] {
  return [
    checkoutRoutes(services), approvalRoutes(services), sellingRoutes(services), returnRoutes(services), shiftCashRoutes(services), salesExportRoutes(),
    managerRoutes(services), technicianRoutes(services, version), hubRoutes(services),
  ];
}
