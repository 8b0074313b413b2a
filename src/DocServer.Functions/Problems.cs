using Microsoft.AspNetCore.Http.HttpResults;

namespace DocServer.Functions;

/// <summary>Problem-details answers for requests the app will not carry out, each with a message a person can act on.</summary>
internal static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "The request is not valid");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
