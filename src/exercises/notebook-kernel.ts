// The kernel a notebook of the course or of an assignment names, and the language it reports:
// tslab in JupyterLab, and the site's own kernel in the browser (lite/kernel), which reports the
// same. No Node import here: the site's kernel bundle takes these too.

export const KERNELSPEC = { display_name: "TypeScript", language: "typescript", name: "tslab" } as const;

/**
 * What the TypeScript kernel reports as its language (tslab's own fixed version string). JupyterLab
 * writes it into a notebook when the kernel starts; a notebook that holds the same opens unmodified.
 */
export const LANGUAGE_INFO = {
  name: "typescript",
  version: "3.7.2",
  mimetype: "text/typescript",
  file_extension: ".ts",
  codemirror_mode: { mode: "typescript", name: "javascript", typescript: true },
} as const;
