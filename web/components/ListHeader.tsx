import { Show } from "solid-js";
import type { Crumb } from "../nav";
import { SuccessNotice } from "./Notices";
import { PageHeader } from "./PageHeader";

/**
 * The top of a list page whose rows are created and edited in a drawer (Products, Plans, Contracts, Resource
 * Subscriptions, Tax Rule): the PageHeader with the "Create …" button for those who may write, and the last save's
 * success notice under it.
 */
export function ListHeader(props: {
  title: string;
  menu?: string;
  trail?: Crumb[];
  canCreate: boolean;
  createLabel: string;
  onCreate: () => void;
  notice: string;
}) {
  return (
    <>
      <PageHeader title={props.title} menu={props.menu} trail={props.trail}>
        <Show when={props.canCreate}>
          <button type="button" class="btn btn-primary" onClick={() => props.onCreate()}>
            {props.createLabel}
          </button>
        </Show>
      </PageHeader>
      <Show when={props.notice}>
        <SuccessNotice>{props.notice}</SuccessNotice>
      </Show>
    </>
  );
}
