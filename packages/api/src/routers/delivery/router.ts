import { router } from "../../trpc";
import { getDelivery } from "./get-delivery";
import { listDeliveries } from "./list-deliveries";
import { replayDeliveries } from "./replay-deliveries";
import { replayDelivery } from "./replay-delivery";

export const deliveryRouter = router({
  list: listDeliveries,
  get: getDelivery,
  replay: replayDelivery,
  replayRange: replayDeliveries,
});
