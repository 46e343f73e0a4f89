/// The OpenAPI document served at `GET /openapi.yaml`: `Resources/openapi.yaml` (linked from the repository root),
/// compiled into the binary so that it serves the document from anywhere and can never disagree with the file.
public enum OpenAPIDocument {
    public static let yaml = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)
}
