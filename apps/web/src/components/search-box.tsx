/** The header's search box: a plain GET form, so it works before (and without) any JavaScript. */
export function SearchBox({ defaultValue = "" }: { defaultValue?: string }) {
  return (
    <search className="search-form">
      <form action="/search">
        <input
          type="search"
          name="q"
          defaultValue={defaultValue}
          placeholder="Search synsets: dog, n02084071, …"
          aria-label="Search synsets"
          maxLength={200}
        />
        <button type="submit">Search</button>
      </form>
    </search>
  );
}
