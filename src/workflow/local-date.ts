/** The date of an instant in local time as YYYY-MM-DD: the date that status moves and decisions write. */
export function localDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}
