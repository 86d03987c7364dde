// Stream width converters. The stream is one little-endian bit string: the first input word ends up in the
// lowest bits of a wider output word, and a wide input word leaves lowest bits first. Both converters accept
// and emit one word per cycle and never drop or repeat a word under backpressure.

// bs_dwc_up: IW -> IW*RATIO bits (RATIO >= 2). The first RATIO-1 words collect in a buffer; the last one
// completes the output word, which is accepted when the output register is free or freed in the same cycle.
module bs_dwc_up #(
  parameter IW = 8,
  parameter RATIO = 2
) (
  input  wire                clk,
  input  wire                rst_n,
  input  wire [IW-1:0]       in_data,
  input  wire                in_valid,
  output wire                in_ready,
  output reg  [IW*RATIO-1:0] out_data,
  output reg                 out_valid,
  input  wire                out_ready
);
  localparam BW = IW * (RATIO - 1);
  localparam CW = $clog2(RATIO);
  localparam integer LAST_I = RATIO - 1;
  localparam [CW-1:0] LAST = LAST_I[CW-1:0];
  localparam [CW-1:0] ONE = {{(CW-1){1'b0}}, 1'b1};

  reg [BW-1:0] buffer;
  reg [CW-1:0] count;
  wire last = count == LAST;
  wire out_free = !out_valid || out_ready;
  assign in_ready = !last || out_free;
  wire push = in_valid && in_ready;

  always @(posedge clk) begin
    if (!rst_n) begin
      count <= {CW{1'b0}};
      out_valid <= 1'b0;
    end else begin
      if (out_valid && out_ready) out_valid <= 1'b0;
      if (push) begin
        if (last) begin
          count <= {CW{1'b0}};
          out_valid <= 1'b1;
        end else begin
          count <= count + ONE;
        end
      end
    end
  end

  // New words enter at the top of the buffer, so after RATIO-1 words the first sits lowest.
  generate
    if (RATIO == 2) begin : g_one
      always @(posedge clk) if (push && !last) buffer <= in_data;
    end else begin : g_shift
      always @(posedge clk) if (push && !last) buffer <= {in_data, buffer[BW-1:IW]};
    end
  endgenerate

  always @(posedge clk) if (push && last) out_data <= {in_data, buffer};
endmodule
