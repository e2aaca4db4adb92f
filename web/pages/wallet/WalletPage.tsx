import { Show, createMemo } from "solid-js";
import { useSearchParams } from "@solidjs/router";
import { stringParam } from "../../api/params";
import { OrgPicker } from "../../components/OrgPicker";
import { PageHeader } from "../../components/PageHeader";
import { useSession } from "../../session";
import { WalletPanel } from "./WalletPanel";
import { isOperatorRole } from "../../../worker/contract/policy";

/** "Wallets" for operators (choose an organization) and "My Wallet" for customers and resellers (their own). */
export default function WalletPage() {
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const isOperator = () => isOperatorRole(session().user.role);
  const orgId = createMemo(() => (isOperator() || session().user.role === "reseller" ? stringParam(search.orgId) ?? (isOperator() ? undefined : session().user.org.id) : session().user.org.id));
  return (
    <div class="page">
      <PageHeader title={isOperator() ? "Wallets" : "My Wallet"} menu={isOperator() ? "/wallets" : "/my/wallet"} />
      <Show when={session().user.role !== "customer"}>
        <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Choose an organization">
          <OrgPicker id="wallet-org" label="Organization" value={orgId()} allowAll={isOperator() ? "Choose an organization…" : "My organization"} onChange={(id) => setSearch({ orgId: id || undefined }, { replace: true })} />
        </form>
      </Show>
      <Show when={orgId()} keyed fallback={<p class="empty-state">Choose an organization to see its wallet.</p>}>
        {(id) => <WalletPanel orgId={id} />}
      </Show>
    </div>
  );
}
