/** CPU time (ms) of the workerd processes started under this process (Linux /proc), or null. */
export declare function workerdCpuMs(): number | null;
