import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";

export const root = path.resolve(__dirname, "../..");
export const extensionsDir = path.join(root, "extensions");

export interface ExtensionToml {
  api_version?: string;
  type?: string;
  extensions?: { type: string; handle: string; targeting?: { module: string; target: string }[] }[];
}

export interface ExtensionFolder {
  name: string;
  dir: string;
  toml: ExtensionToml;
}

/** Every extension folder with its parsed shopify.extension.toml. */
export function extensionFolders(): ExtensionFolder[] {
  return readdirSync(extensionsDir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(path.join(extensionsDir, entry.name, "shopify.extension.toml")),
    )
    .map((entry) => {
      const dir = path.join(extensionsDir, entry.name);
      return {
        name: entry.name,
        dir,
        toml: parse(readFileSync(path.join(dir, "shopify.extension.toml"), "utf8")) as ExtensionToml,
      };
    });
}

export function uiExtensions(): ExtensionFolder[] {
  return extensionFolders().filter((folder) =>
    folder.toml.extensions?.some((e) => e.type === "ui_extension"),
  );
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, "utf8")) as T;
}
