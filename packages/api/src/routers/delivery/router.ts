import { router } from "../../trpc";
import { listDeliveries } from "./list-deliveries";
import { replayDeliveries } from "./replay-deliveries";
import { replayDelivery } from "./replay-delivery";

export const deliveryRouter = router({
  list: listDeliveries,
  replay: replayDelivery,
  replayRange: replayDeliveries,
});
