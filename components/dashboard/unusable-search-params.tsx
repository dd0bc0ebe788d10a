import { Alert, AlertDescription, AlertTitle } from "@/components/ui/alert";

/** What a log's link asked for that could not be used (see lib/dashboard/unusable-search-params). */
export function UnusableSearchParams({ problems }: { problems: string[] }) {
  return (
    <Alert data-testid="unusable-search-params">
      <AlertTitle>Part of this link could not be used</AlertTitle>
      <AlertDescription>
        <ul className="list-disc pl-4">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      </AlertDescription>
    </Alert>
  );
}
