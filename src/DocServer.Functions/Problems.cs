using Microsoft.AspNetCore.Http.HttpResults;

namespace DocServer.Functions;

/// <summary>Problem-details answers for requests the app will not carry out, each with a message a person can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");

    /// <summary>503 with Retry-After while this instance loads its index: loads take seconds.</summary>
    public static ProblemHttpResult StillLoading(Documents.IndexLoading loading, HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(loading);
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = Hosting.ErrorResponses.IndexRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(loading.Message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Still starting");
    }

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
