/**
 * The shift's cash and printed reports: cash in / out of the drawer (each a fiscal document,
 * audited), the X report printed, and the printing of X and Z reports shared with the shift
 * routes (src/server/routes/checkout.ts). A cash movement prints its slip after it is recorded:
 * a printer that fails is reported in the answer (and the audit), the movement stays recorded.
 */
import type { ShiftReport } from '../../checkout/index.ts';
import type { CashMovement } from '../../store/index.ts';
import { cashRequest, type CashResponse, type PrintView, type ShiftReportResponse } from '../contract/index.ts';
import { parseBody, type RouteModule } from '../http.ts';
import type { Settings } from '../settings.ts';
import type { Services } from '../services.ts';
import { sendFailure } from './util.ts';

/** Prints an X or Z report on the register's receipt printer; never throws for printer trouble. */
export async function printShiftReport(services: Services, settings: Settings, report: ShiftReport, kind: 'x' | 'z', cashier: string | null): Promise<PrintView> {
  const config = settings.get();
  const id = kind === 'z' ? `z-report-${report.shiftNumber}` : `x-report-${report.shiftNumber}-${Date.parse(report.at)}`;
  const r = await services.printing.printShiftReport(id, report, kind, {
    store: config.store.name, registerId: config.register.id, cashier, languages: config.languages, training: services.trainingMode,
  });
  return { jobId: r.jobId, state: r.state, error: r.error, pngUrl: r.pngUrl };
}

/** Prints the slip of a recorded cash movement; never throws for printer trouble. */
async function printCashSlip(services: Services, settings: Settings, movement: CashMovement, after: ShiftReport, cashier: string | null): Promise<PrintView> {
  const config = settings.get();
  try {
    const r = await services.printing.printCashSlip(movement, { shiftNumber: after.shiftNumber, inDrawer: after.cash.inDrawer }, {
      store: config.store.name, registerId: config.register.id, cashier, languages: config.languages, training: services.trainingMode,
    });
    return { jobId: r.jobId, state: r.state, error: r.error, pngUrl: r.pngUrl };
  } catch (err) {
    return { jobId: null, state: 'failed', error: (err as Error).message, pngUrl: null };
  }
}

/** Cash in / out and the printed X report. */
export function shiftCashRoutes(services: Services): RouteModule {
  return ({ app, settings, requireRole, audit }) => {
    const sell = { preHandler: requireRole('sell') };

    app.post('/api/shifts/cash', sell, async (request, reply) => {
      const body = parseBody(cashRequest, request, reply);
      if (!body) return reply;
      try {
        const { result: movement } = await services.changeBasket((c) => c.placeMoney(body.operation, body.amount, body.reason ? { reason: body.reason } : {}));
        services.sender.notify();
        const report = services.checkout.shiftFigures();
        const print = await printCashSlip(services, settings, movement, report, request.user?.name ?? null);
        audit(request, `cash.${body.operation === 'deposit' ? 'in' : 'out'}`, 'ok', {
          amount: body.amount, reason: body.reason ?? null, shift: report.shiftNumber, inDrawer: report.cash.inDrawer, documentId: movement.documentId, printed: print.state, printError: print.error,
        });
        return reply.code(201).send({ movement, report, print } satisfies CashResponse);
      } catch (err) {
        audit(request, `cash.${body.operation === 'deposit' ? 'in' : 'out'}`, 'failed', { amount: body.amount, error: (err as { code?: string }).code ?? 'ERROR' });
        return sendFailure(reply, err);
      }
    });

    app.post('/api/shifts/x/print', sell, async (request, reply) => {
      try {
        const report = services.checkout.xReport();
        const print = await printShiftReport(services, settings, report, 'x', request.user?.name ?? null);
        audit(request, 'shift.x', print.state === 'printed' ? 'ok' : 'failed', { shift: report.shiftNumber, printed: print.state, error: print.error });
        return { report, print } satisfies ShiftReportResponse;
      } catch (err) {
        return sendFailure(reply, err);
      }
    });
  };
}
