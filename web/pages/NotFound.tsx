import { StatusPage } from "../components/StatusPage";

export default function NotFound() {
  return (
    <div class="page">
      <StatusPage kind="not-found" heading="h1" />
    </div>
  );
}
