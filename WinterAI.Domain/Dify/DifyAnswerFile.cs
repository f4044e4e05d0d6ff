namespace WinterAI.Domain.Dify;

/// <summary>A picture or file of the assistant's from a <c>message_file</c> event.</summary>
/// <param name="Url">As Dify sent it: absolute, or relative to Dify's host (<c>/files/tools/…</c>); see <see cref="DifyFileUrls"/>.</param>
/// <param name="Type"><c>image</c>, <c>document</c>, <c>audio</c>, <c>video</c> or <c>custom</c>.</param>
public sealed record DifyAnswerFile(string Url, string Type);
