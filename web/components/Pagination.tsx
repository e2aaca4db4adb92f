/** Previous/Next paging with "Page X of Y" and the total. */
export function Pagination(props: { page: number; pageSize: number; total: number; noun: string; onPage: (page: number) => void }) {
  const pages = () => Math.max(1, Math.ceil(props.total / props.pageSize));
  return (
    <nav class="pagination" aria-label="Pagination">
      <button type="button" class="btn" disabled={props.page <= 1} onClick={() => props.onPage(props.page - 1)}>
        Previous
      </button>
      <p class="pagination-status">
        <span>
          Page {Math.min(props.page, pages())} of {pages()}
        </span>
        <span class="muted">
          {props.total} {props.noun}
        </span>
      </p>
      <button type="button" class="btn" disabled={props.page >= pages()} onClick={() => props.onPage(props.page + 1)}>
        Next
      </button>
    </nav>
  );
}
