namespace WinterAI.Web.Chat;

public sealed record ChatAsset(byte[] Content, string ContentType);
